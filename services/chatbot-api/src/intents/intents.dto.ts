import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class IntentDto {
  @ApiProperty({ example: 'sales_summary' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: ['short', 'long'], description: 'Which worker lane answers this intent.' })
  lane!: 'short' | 'long';
}

export class IntentPageDto {
  @ApiProperty({ type: [IntentDto] })
  data!: IntentDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class IntentParamsDto {
  @ApiProperty({ example: 'sales_summary' })
  @Matches(/^[a-z][a-z_]{1,63}$/, { message: 'name must be a lower_snake_case intent name' })
  name!: string;
}
