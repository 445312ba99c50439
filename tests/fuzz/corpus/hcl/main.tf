# Terraform twin of fixtures/sqs/sam/sqs001_fire.yaml
# SQS001 fires on OrdersQueue (no redrive, triggers ProcessOrders); PaymentsQueue is redriven; AuditDLQ is only a DLQ.

resource "aws_sqs_queue" "orders_queue" {
}

resource "aws_sqs_queue" "payments_dlq" {
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "payments_queue" {
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.payments_dlq.arn
    maxReceiveCount     = 5
  })
}

data "archive_file" "process_orders" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/process_orders.zip"
}

resource "aws_lambda_function" "process_orders" {
  function_name    = "process-orders"
  filename         = data.archive_file.process_orders.output_path
  source_code_hash = data.archive_file.process_orders.output_base64sha256
  runtime          = "python3.12"
  handler          = "app.handler"
  role             = aws_iam_role.process_orders__role.arn
}

resource "aws_lambda_event_source_mapping" "process_orders__orders" {
  event_source_arn = aws_sqs_queue.orders_queue.arn
  function_name    = aws_lambda_function.process_orders.function_name
}

resource "aws_lambda_event_source_mapping" "process_orders__payments" {
  event_source_arn = aws_sqs_queue.payments_queue.arn
  function_name    = aws_lambda_function.process_orders.function_name
}

resource "aws_iam_role" "process_orders__role" {
  assume_role_policy  = jsonencode({})
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]
}
