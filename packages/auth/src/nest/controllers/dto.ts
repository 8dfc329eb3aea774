import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'analyst.emea@casebook.dev' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'casebook-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(256)
  refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ example: 900 }) expiresIn!: number;
}

export class ClientCredentialsDto {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsIn(['client_credentials'])
  grant_type!: 'client_credentials';

  @ApiProperty() @IsString() @MaxLength(64) client_id!: string;
  @ApiProperty() @IsString() @MaxLength(256) client_secret!: string;

  @ApiProperty({ example: 'query-service', description: 'The service the token is for.' })
  @IsString()
  @MaxLength(64)
  audience!: string;
}

const REGION = /^[A-Z]{2,8}$/;

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: 'EMEA' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be an upper-case region code such as EMEA' })
  region?: string;

  @ApiProperty({ example: ['analyst'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  roles!: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) roles?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Matches(REGION, { message: 'region must be an upper-case region code such as EMEA' })
  region?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(12) @MaxLength(1024) password?: string;
}

export class PermissionRuleDto {
  @ApiProperty({ example: 'read' }) @IsString() @MinLength(1) @MaxLength(64) action!: string;
  @ApiProperty({ example: 'Insight' }) @IsString() @MinLength(1) @MaxLength(64) subject!: string;

  @ApiPropertyOptional({ example: { region: '${user.region}' } })
  @IsOptional()
  @IsObject()
  conditions?: Record<string, unknown>;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() inverted?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) reason?: string;
}

export class PutRoleDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) description?: string;

  @ApiPropertyOptional({ nullable: true, example: 'analyst' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  parent?: string | null;

  @ApiProperty({ type: [PermissionRuleDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PermissionRuleDto)
  permissions!: PermissionRuleDto[];
}

export class RoleNameParams {
  @ApiProperty() @Matches(/^[a-z][a-z0-9_.-]{1,62}$/, { message: 'name must be a lower-case role name' }) name!: string;
}

export class IdParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'id must be a UUID' })
  id!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'nightly export' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;

  @ApiProperty({ example: ['read:Insight'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z*]+:[A-Za-z*]+$/, { each: true, message: 'each scope must look like action:Subject' })
  scopes!: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 365 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}

export class CreateServiceClientDto {
  @ApiProperty({ example: 'reporting-job' }) @Matches(/^[a-z][a-z0-9-]{1,62}$/) name!: string;
  @ApiProperty({ example: ['query:Warehouse'] }) @IsArray() @IsString({ each: true }) scopes!: string[];
  @ApiProperty({ example: ['query-service'] }) @IsArray() @IsString({ each: true }) audiences!: string[];
}
